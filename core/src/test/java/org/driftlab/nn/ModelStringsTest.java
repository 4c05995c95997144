package org.driftlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The resmlp, resnet-cnn and vit model strings: parameter counts in closed form, θ names and order (the PyTorch twins'
 * named_parameters(), checked against PyTorch itself in TorchModelsTest), groups that partition θ, initialisation of
 * LayerNorm and embeddings, and one-line errors.
 */
class ModelStringsTest {
    private static final int[] IMAGE = {784};

    @Test
    void vitCountsNamesAndGroups() {
        Network net = Networks.parse("vit:patch=7,dim=8,heads=2,depth=2,mlp=12", IMAGE, 10);
        int t = 16;
        int block = 2 * 8 + (3 * 8 * 8 + 3 * 8) + (8 * 8 + 8) + 2 * 8 + (12 * 8 + 12) + (8 * 12 + 8);
        int expected = t * 8 + (8 * 49 + 8) + 2 * block + 2 * 8 + (10 * 8 + 10);
        assertEquals(expected, net.numParams());
        List<String> names = new ArrayList<>();
        for (Network.Slice s : net.layout()) {
            names.add(s.name());
        }
        assertEquals(List.of("pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias", "blocks.0.norm1.weight",
                "blocks.0.norm1.bias", "blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias", "blocks.0.attn.proj.weight",
                "blocks.0.attn.proj.bias", "blocks.0.norm2.weight", "blocks.0.norm2.bias", "blocks.0.mlp.fc1.weight",
                "blocks.0.mlp.fc1.bias", "blocks.0.mlp.fc2.weight", "blocks.0.mlp.fc2.bias"), names.subList(0, 15));
        assertEquals(List.of("fc_norm.weight", "fc_norm.bias", "head.weight", "head.bias"), names.subList(names.size() - 4, names.size()));
        assertArrayEquals(new int[] {24, 8}, net.layout().get(5).shape());
        List<String> groups = new ArrayList<>();
        for (Network.Group g : net.groups()) {
            groups.add(g.name());
        }
        assertEquals(List.of("pos_embed", "patch_embed", "blocks.0.norm1", "blocks.0.attn", "blocks.0.norm2", "blocks.0.mlp",
                "blocks.1.norm1", "blocks.1.attn", "blocks.1.norm2", "blocks.1.mlp", "fc_norm", "head"), groups);
        assertEquals("attention of block 1", net.groups().get(7).label());
        assertPartition(net);
        Var out = net.forward(Var.constant(Tensor.vector(net.initialize(Init.PYTORCH, 1))), Var.constant(Tensor.zeros(3, 1, 28, 28)));
        assertArrayEquals(new int[] {3, 10}, out.shape());
    }

    @Test
    void resmlpAndResnetCounts() {
        Network mlp = Networks.parse("resmlp:width=16,depth=3", IMAGE, 10);
        int block = 2 * 16 + 2 * (16 * 16 + 16);
        assertEquals((784 * 16 + 16) + 3 * block + 2 * 16 + (10 * 16 + 10), mlp.numParams());
        assertEquals("blocks.2.fc2.bias", mlp.layout().get(mlp.layout().size() - 5).name());
        Network plain = Networks.parse("resmlp:width=16,depth=3,act=tanh,norm=none", IMAGE, 10);
        assertEquals(mlp.numParams() - 4 * 2 * 16, plain.numParams());
        assertPartition(plain);
        Network cnn = Networks.parse("resnet-cnn:width=4,depth=2", IMAGE, 10);
        assertEquals((4 * 9 + 4) + 2 * 2 * (4 * 4 * 9 + 4) + (10 * 4 + 10), cnn.numParams());
        assertEquals(List.of("stem", "blocks.0.conv1", "blocks.0.conv2", "blocks.1.conv1", "blocks.1.conv2", "head"),
                cnn.groups().stream().map(Network.Group::name).toList());
        assertPartition(cnn);
        assertArrayEquals(new int[] {1, 28, 28}, cnn.inputShape());
        assertTrue(Networks.isNetwork("vit:patch=7") && Networks.isNetwork("fc-tanh:") && !Networks.isNetwork("quadratic:eigs=1"));
        assertFalse(Networks.isNetwork("xyzw"));
    }

    @Test
    void layerNormAndEmbeddingsInitialiseAsPyTorch() {
        Network net = Networks.parse("vit:patch=14,dim=4,heads=2,depth=1,mlp=4", IMAGE, 3);
        double[] theta = net.initialize(Init.PYTORCH, 3);
        for (Network.Slice s : net.layout()) {
            double max = 0;
            for (int i = s.offset(); i < s.offset() + s.size(); i++) {
                max = Math.max(max, Math.abs(theta[i]));
            }
            if (s.name().endsWith("norm1.weight") || s.name().endsWith("norm2.weight") || s.name().equals("fc_norm.weight")) {
                for (int i = s.offset(); i < s.offset() + s.size(); i++) {
                    assertEquals(1.0, theta[i], 0.0, s.name());
                }
            } else if (s.name().contains("norm") && s.name().endsWith("bias")) {
                assertEquals(0.0, max, 0.0, s.name());
            } else if (s.name().equals("pos_embed")) {
                assertTrue(max > 0 && max < 0.02 * 6, "N(0, 0.02²) position embedding, max " + max);
            } else {
                assertTrue(max > 0, s.name());
            }
        }
    }

    @Test
    void badModelStringsAreOneLineErrors() {
        String[][] cases = {
            {"vit:patch=5,dim=8,heads=2,depth=1,mlp=8", "does not divide"},
            {"vit:patch=7,dim=6,heads=4,depth=1,mlp=8", "not a multiple of heads"},
            {"vit:patch=7,dim=8,heads=2,depth=1", "missing mlp"},
            {"resmlp:width=8,depth=2,norm=batch", "norm=batch is not one of layer, none"},
            {"resmlp:width=8,depth=2,dropout=0.1", "'dropout=0.1' is not one of width, depth, act, norm"},
            {"resmlp:width=eight,depth=2", "width=eight is not an integer"},
            {"resnet-cnn:width=4,depth=1,pool=3", "pool=3 does not divide"},
            {"resmlp:width=8,depth=2,act=swish", "unknown activation"},
            {"transformer:dim=8", "unknown model"},
        };
        for (String[] c : cases) {
            DriftlabException e = assertThrows(DriftlabException.class, () -> Networks.parse(c[0], IMAGE, 10), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    /** The groups cover θ exactly once, in order. */
    private static void assertPartition(Network net) {
        boolean[] seen = new boolean[net.numParams()];
        for (Network.Group g : net.groups()) {
            for (Network.Slice s : g.slices()) {
                for (int i = s.offset(); i < s.offset() + s.size(); i++) {
                    assertFalse(seen[i], "coordinate " + i + " in two groups");
                    seen[i] = true;
                }
            }
        }
        for (boolean b : seen) {
            assertTrue(b, "a coordinate in no group");
        }
    }
}
