using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Needlework.Web.Auth;
using Needlework.Web.Data;

namespace Needlework.Web.Tests.Infrastructure;

/// <summary>A fresh web UI per test class (TodoApi style), on its own SQLite file or its own PostgreSQL database.</summary>
public sealed class WebUiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    public WebUiFactory(PostgresServer? postgres = null, IDictionary<string, string?>? extra = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "nw-web-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(DataDirectory);
        settings = new Dictionary<string, string?>
        {
            ["Needlework:DataDirectory"] = DataDirectory,
            ["Needlework:WorkerTimeout"] = "00:00:30",
        };
        if (postgres is not null)
        {
            settings["Needlework:Database"] = "postgres";
            settings["Needlework:ConnectionString"] = postgres.ConnectionString("nw_" + Guid.NewGuid().ToString("N")[..12]);
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in settings)
        {
            builder.UseSetting(k, v);
        }
    }

    public async Task<ApiKey> CreateKeyAsync(TimeSpan? lifetime = null)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("tester", lifetime, CancellationToken.None);
    }

    /// <summary>A client that signs every request with a new key.</summary>
    public async Task<(HttpClient Client, ApiKey Key)> SignedClientAsync()
    {
        var key = await CreateKeyAsync();
        return (CreateDefaultClient(new HmacHandler(key.Key, key.Secret)), key);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
