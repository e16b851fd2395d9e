namespace Needlework.Runner.Tests.Backends.Vnc;

/// <summary>Finds the real tools on PATH; a missing one fails the test with the fix, it never skips it.</summary>
internal static class ToolPaths
{
    public static string Require(string tool)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{tool} is not installed: the VNC integration tests need the Debian packages xvfb, x11vnc and xterm (scripts/setup.sh installs them)");
    }
}
