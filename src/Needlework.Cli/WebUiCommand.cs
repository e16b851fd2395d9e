using System.CommandLine;
using Needlework.Web;

namespace Needlework.Cli;

/// <summary>
/// <c>needlework webui</c>: the web UI, API and scheduler. Settings come as in any ASP.NET Core app (appsettings.json,
/// NEEDLEWORK__* environment variables, <c>--Needlework:Key=value</c> arguments); the common ones have options here.
/// </summary>
internal static class WebUiCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {WebUiApp.DefaultUrl}: loopback only)" };
        var data = new Option<string?>("--data") { Description = "The data directory: SQLite database and uploaded results (default ./data)" };
        var postgres = new Option<string?>("--postgres") { Description = "Use PostgreSQL with this connection string instead of SQLite" };
        var command = new Command("webui", "Run the web UI: REST API v1, worker protocol, scheduler, pages") { urls, data, postgres };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await WebUiApp.RunAsync([.. ConfigurationArguments(parse, urls, data, postgres), .. parse.UnmatchedTokens], cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The options as ASP.NET Core configuration arguments, shared with <c>needlework admin</c>.</summary>
    internal static IEnumerable<string> ConfigurationArguments(ParseResult parse, Option<string?> urls, Option<string?> data, Option<string?> postgres)
    {
        if (parse.GetValue(urls) is { } u)
        {
            yield return $"--urls={u}";
        }

        if (parse.GetValue(data) is { } d)
        {
            yield return $"--{WebUiOptions.Section}:DataDirectory={Path.GetFullPath(d)}";
        }

        if (parse.GetValue(postgres) is { } p)
        {
            yield return $"--{WebUiOptions.Section}:Database=postgres";
            yield return $"--{WebUiOptions.Section}:ConnectionString={p}";
        }
    }
}
