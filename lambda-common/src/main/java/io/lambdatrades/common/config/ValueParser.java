package io.lambdatrades.common.config;

/** Turns a setting's text into its value, or throws {@link IllegalArgumentException} saying what is expected. */
@FunctionalInterface
public interface ValueParser<T>
{
    T parse(String text);
}
