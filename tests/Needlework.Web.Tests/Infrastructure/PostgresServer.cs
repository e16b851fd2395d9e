using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Needlework.Web.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the suite: the one CI started (NEEDLEWORK_TEST_POSTGRES), or, locally, one this
/// fixture starts itself in a temporary folder on 127.0.0.1 and stops afterwards. With CI=true and no
/// server given, the tests fail rather than skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Variable = "NEEDLEWORK_TEST_POSTGRES";
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private string? folder;

    public string BaseConnectionString { get; private set; } = string.Empty;

    public string ConnectionString(string database) => BaseConnectionString.TrimEnd(';') + ";Database=" + database;

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given))
        {
            BaseConnectionString = given;
            return;
        }

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            throw new InvalidOperationException($"CI=true but {Variable} is not set: scripts/test.sh must start PostgreSQL");
        }

        folder = Path.Combine(Path.GetTempPath(), "nw-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await RunAsync("chown", $"postgres:postgres {folder}");
        await RunAsync("runuser", $"-u postgres -- {Bin}/initdb -D {folder}/data -A trust -U postgres --no-sync");
        var port = FreePort();
        await RunAsync("runuser", $"-u postgres -- {Bin}/pg_ctl -D {folder}/data -l {folder}/log -w -o \"-h 127.0.0.1 -p {port} -k {folder} -F\" start");
        BaseConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Include Error Detail=true";
    }

    public async Task DisposeAsync()
    {
        if (folder is null)
        {
            return;
        }

        await RunAsync("runuser", $"-u postgres -- {Bin}/pg_ctl -D {folder}/data -m immediate -w stop");
        Directory.Delete(folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed: {await stdout} {await stderr}");
        }
    }
}
