namespace Needlework.Imaging.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Needlework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Needlework.sln not found above the test binaries");
    }
}
