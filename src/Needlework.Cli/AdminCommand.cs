using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Needlework.Web;

namespace Needlework.Cli;

/// <summary><c>needlework admin create-key</c>: administration on the web UI's database, without a running web UI.</summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var admin = new Command("admin", "Administration on the web UI's database");
        admin.Subcommands.Add(CreateKey());
        return admin;
    }

    private static Command CreateKey()
    {
        var user = new Option<string>("--user") { Description = "Whom the key is for", DefaultValueFactory = _ => Environment.UserName };
        var days = new Option<int?>("--days") { Description = "Days until the key expires (default: never)" };
        var data = new Option<string?>("--data") { Description = "The web UI's data directory (default ./data)" };
        var postgres = new Option<string?>("--postgres") { Description = "The web UI's PostgreSQL connection string, when it uses PostgreSQL" };
        var urls = new Option<string?>("--urls") { Hidden = true };
        var command = new Command("create-key", "Create an API key and secret for openqa-cli and workers (X-API-Key / HMAC)") { user, days, data, postgres };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var arguments = WebUiCommand.ConfigurationArguments(parse, urls, data, postgres).Concat(parse.UnmatchedTokens).ToArray();
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(arguments)
                .Build();
            var lifetime = parse.GetValue(days) is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null;
            var key = await AdminTasks.CreateKeyAsync(configuration, parse.GetValue(user)!, lifetime, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"key: {key.Key}");
            Console.WriteLine($"secret: {key.Secret}");
            Console.WriteLine($"user: {key.User}" + (key.TExpiration is { } e ? $", expires {e:yyyy-MM-ddTHH:mm:ss}" : string.Empty));
            return 0;
        });
        return command;
    }
}
