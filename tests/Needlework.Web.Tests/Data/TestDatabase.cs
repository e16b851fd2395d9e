using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using IDatabaseProvider = Needlework.Web.Data.IDatabaseProvider;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Needlework.Web.Data;
using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Data;

/// <summary>
/// A database of the test's own (a SQLite file in a temporary folder, or a new PostgreSQL database), reached
/// through the web UI's own service registration, as `needlework admin` reaches it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "nw-db-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ServiceProvider services;

    public TestDatabase(PostgresServer? postgres)
    {
        Directory.CreateDirectory(folder);
        Connection = postgres is null
            ? new() { ["Needlework:Database"] = "sqlite", ["Needlework:ConnectionString"] = $"Data Source={Path.Combine(folder, "needlework.db")}" }
            : new() { ["Needlework:Database"] = "postgres", ["Needlework:ConnectionString"] = postgres.ConnectionString("nw_db_" + Guid.NewGuid().ToString("N")[..12]) };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Connection)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Needlework:DataDirectory"] = folder })
            .Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(configuration);
        WebUiApp.AddServices(collection, configuration);
        services = collection.BuildServiceProvider();
    }

    /// <summary>The settings that point the web UI at this database.</summary>
    public Dictionary<string, string?> Connection { get; }

    public IDatabaseProvider Provider => services.GetRequiredService<IDatabaseProvider>();

    /// <summary>What the web UI does on start.</summary>
    public Task<MigrationReport> InitialiseAsync() => UseAsync(db => Provider.InitialiseAsync(db, CancellationToken.None));

    public async Task<T> UseAsync<T>(Func<NeedleworkDbContext, Task<T>> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        await using var scope = services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>());
    }

    /// <summary>
    /// Makes the database as the versions before migrations did: an empty database, then the tables their
    /// EnsureCreated made (the frozen script), then <paramref name="change"/> (SQL, to spoil it), and no migration history.
    /// </summary>
    public Task CreateAsBeforeMigrationsAsync(string? change = null) => UseAsync(async db =>
    {
        await db.GetService<IRelationalDatabaseCreator>().CreateAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Data", $"before-migrations-{Provider.Name}.sql");
        await db.Database.ExecuteSqlRawAsync(await File.ReadAllTextAsync(script));
        if (change is not null)
        {
            await db.Database.ExecuteSqlRawAsync(change);
        }

        return true;
    });

    /// <summary>Each table of the model with the columns the database has for it.</summary>
    public Task<SortedDictionary<string, string>> SchemaAsync() => UseAsync(async db =>
    {
        var schema = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            var columns = await Provider.ColumnsAsync(db, table.Name, CancellationToken.None);
            schema[table.Name] = string.Join(",", columns.Order(StringComparer.Ordinal));
        }

        return schema;
    });

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
