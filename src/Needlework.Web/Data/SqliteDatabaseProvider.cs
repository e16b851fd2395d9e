using Microsoft.EntityFrameworkCore;

namespace Needlework.Web.Data;

/// <summary>The embedded default: one SQLite file in the data directory, in WAL mode so readers never wait for the scheduler.</summary>
public sealed class SqliteDatabaseProvider(string connectionString) : IDatabaseProvider
{
    public string Name => "sqlite";

    public Type ContextType => typeof(SqliteNeedleworkDbContext);

    public void Configure(DbContextOptionsBuilder builder) => builder.UseSqlite(connectionString);

    public async Task<MigrationReport> InitialiseAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var report = await SchemaMigrator.MigrateAsync(db, this, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        return report;
    }

    public async Task<IReadOnlySet<string>> ColumnsAsync(NeedleworkDbContext db, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_table_info({0})", table).ToListAsync(cancellationToken);
        return names.ToHashSet(StringComparer.Ordinal);
    }
}
