package io.lambdatrades.launcher;

import picocli.CommandLine;

public final class VersionProvider
        implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        String version = LambdaMain.class.getPackage().getImplementationVersion();
        return new String[] {"lambda " + (version == null ? "development build" : version)};
    }
}
