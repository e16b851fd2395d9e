using Needlework.Runner.Backends.Vnc;
using Needlework.Vnc.Tests.Infrastructure;

namespace Needlework.Runner.Tests.Backends.Vnc;

/// <summary>A generic VNC backend on its own pool directory and log; disposing ends the session and removes the pool.</summary>
internal sealed class VncBackendRun : IAsyncDisposable
{
    private readonly StringWriter _log;

    private VncBackendRun(VncBackend backend, string pool, StringWriter log)
    {
        Backend = backend;
        Pool = pool;
        _log = log;
    }

    public VncBackend Backend { get; }

    public string Pool { get; }

    /// <summary>The log so far; read it once the backend is quiet.</summary>
    public string Log => _log.ToString();

    /// <summary>Creates the backend for <paramref name="variables"/> without starting it.</summary>
    public static VncBackendRun Create(IReadOnlyDictionary<string, string> variables, Func<VncBackendOptions, VncBackendOptions>? configure = null)
    {
        var pool = TestPaths.NewPool();
        var log = new StringWriter();
        var options = new VncBackendOptions
        {
            PoolDirectory = pool,
            Log = log,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ReadTimeout = TimeSpan.FromSeconds(3),
            IdleProbeInterval = TimeSpan.FromSeconds(1),
            ReconnectTimeout = TimeSpan.FromSeconds(3),
        };
        options = configure?.Invoke(options) ?? options;
        return new VncBackendRun(new VncBackend(VncBackendVariables.Parse(variables), options, TimeProvider.System), pool, log);
    }

    public static async Task<VncBackendRun> StartAsync(IReadOnlyDictionary<string, string> variables, Func<VncBackendOptions, VncBackendOptions>? configure = null)
    {
        var run = Create(variables, configure);
        try
        {
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await run.Backend.StartAsync(budget.Token);
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }

        return run;
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        Directory.Delete(Pool, recursive: true);
    }
}
