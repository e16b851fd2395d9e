using System.Reflection;

namespace Needlework.Cli.Demo;

/// <summary>The runner as a worker started by this executable (the demo's included) starts it: this very executable's isotovideo.</summary>
internal static class RunnerCommandLine
{
    /// <summary>The apphost directly, or `dotnet needlework.dll isotovideo` when this process was started that way.</summary>
    public static string[] ThisExecutable()
    {
        var process = Environment.ProcessPath ?? "needlework";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Assembly.GetEntryAssembly()!.Location, "isotovideo"]
            : [process, "isotovideo"];
    }
}
