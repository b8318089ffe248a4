package io.lambdatrades.common.config;

import java.util.List;

/** The configuration cannot be used; each problem is one line that names the key to change. */
public class ConfigException
        extends RuntimeException
{
    private final List<String> problems;

    public ConfigException(List<String> problems)
    {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem)
    {
        this(List.of(problem));
    }

    public List<String> problems()
    {
        return problems;
    }
}
