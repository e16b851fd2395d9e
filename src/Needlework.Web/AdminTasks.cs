using Needlework.Web.Auth;
using Needlework.Web.Data;

namespace Needlework.Web;

/// <summary>Administration without a running web UI, for `needlework admin ...`: same configuration, same database.</summary>
public static class AdminTasks
{
    /// <summary>Creates an API key for <paramref name="user"/> in the configured database (migrating the schema first, as the web UI does on start).</summary>
    public static async Task<ApiKey> CreateKeyAsync(IConfiguration configuration, string user, TimeSpan? lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        WebUiApp.AddServices(services, configuration);
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>();
        await scope.ServiceProvider.GetRequiredService<IDatabaseProvider>().InitialiseAsync(db, cancellationToken);
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(user, lifetime, cancellationToken);
    }
}
