namespace Needlework.Web.Data;

/// <summary>Creates the schema on first start, before the scheduler and watchdog run (hosted services start in order).</summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, IDatabaseProvider provider, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>();
        await provider.InitialiseAsync(db, cancellationToken);
        Log.DatabaseReady(logger, provider.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
