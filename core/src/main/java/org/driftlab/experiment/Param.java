package org.driftlab.experiment;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one parameter of a study or of a training-spec section, on the record component that holds it: its
 * default (in YAML syntax, parsed like a value in a spec file), its unit and a one-line description. This is the
 * parameter's only declaration: {@link Params} binds and validates YAML against it, {@code driftlab show} prints
 * it, and a sweep addresses it by its key.
 *
 * <p>The YAML key is the component's name in snake_case ({@code sharpnessEvery} is {@code sharpness_every})
 * unless {@link #key()} names it. Range checks that involve several keys live in the record's compact
 * constructor, which reports a bad value with {@link Params#check}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {
    /** The default of an optional parameter that is off when absent (a boxed component holds null). */
    String NONE = "~";
    /** The default of a parameter that a file must set. */
    String REQUIRED = "<required>";

    /** The default, in YAML syntax ({@code 0.05}, {@code [0.5, 2.4]}, {@code fc-tanh:100,100}), or NONE / REQUIRED. */
    String value();

    /** The unit, e.g. {@code steps}; empty for a pure number or a name. */
    String unit() default "";

    /** What the parameter means, in one line. */
    String doc();

    /** The YAML key when it is not the snake_case of the component name. */
    String key() default "";
}
