using Microsoft.EntityFrameworkCore;

namespace Needlework.Web.Data;

/// <summary>PostgreSQL by connection string, for installations with many workers.</summary>
public sealed class PostgresDatabaseProvider(string connectionString) : IDatabaseProvider
{
    public string Name => "postgres";

    public Type ContextType => typeof(PostgresNeedleworkDbContext);

    public void Configure(DbContextOptionsBuilder builder) => builder.UseNpgsql(connectionString);

    public Task<MigrationReport> InitialiseAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return SchemaMigrator.MigrateAsync(db, this, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> ColumnsAsync(NeedleworkDbContext db, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await db.Database.SqlQueryRaw<string>(
            "SELECT column_name::text AS \"Value\" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {0}",
            table).ToListAsync(cancellationToken);
        return names.ToHashSet(StringComparer.Ordinal);
    }
}
