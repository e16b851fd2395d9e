using Microsoft.EntityFrameworkCore;

namespace Needlework.Web.Data;

/// <summary>One seam per database engine (jellyfin's shape): how to configure EF Core and prepare the store.</summary>
public interface IDatabaseProvider
{
    string Name { get; }

    /// <summary>The engine's <see cref="NeedleworkDbContext"/> subclass, which its migrations belong to.</summary>
    Type ContextType { get; }

    void Configure(DbContextOptionsBuilder builder);

    /// <summary>Migrates the database to the latest migration (see <see cref="SchemaMigrator"/>) and applies the engine's settings.</summary>
    Task<MigrationReport> InitialiseAsync(NeedleworkDbContext db, CancellationToken cancellationToken);

    /// <summary>The column names of a table in the database, none when the table does not exist.</summary>
    Task<IReadOnlySet<string>> ColumnsAsync(NeedleworkDbContext db, string table, CancellationToken cancellationToken);
}
