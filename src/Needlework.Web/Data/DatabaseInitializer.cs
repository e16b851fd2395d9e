namespace Needlework.Web.Data;

/// <summary>Migrates the schema on start, before the scheduler and watchdog run (hosted services start in order).</summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, IDatabaseProvider provider, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>();
        var report = await provider.InitialiseAsync(db, cancellationToken);
        if (report.AdoptedAt is not null)
        {
            Log.UnversionedDatabaseAdopted(logger, report.AdoptedAt);
        }

        if (report.Applied.Count > 0)
        {
            Log.MigrationsApplied(logger, string.Join(", ", report.Applied));
        }

        Log.DatabaseReady(logger, provider.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
