using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Needlework.Web.Data;

/// <summary>
/// Brings the database to the latest migration on start. Versions before migrations made their tables with
/// EnsureCreated and left no migration history; such a database is adopted: when it has every table and column
/// the first migration creates, that migration is recorded as applied and the later ones run as usual. A
/// database with only part of them is refused, untouched, with a message that names what is missing.
/// </summary>
public static class SchemaMigrator
{
    public static async Task<MigrationReport> MigrateAsync(NeedleworkDbContext db, IDatabaseProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(provider);
        var adoptedAt = await AdoptUnversionedAsync(db, provider, cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        return new MigrationReport(pending, adoptedAt);
    }

    /// <summary>Records the first migration as applied on a database made by EnsureCreated; returns its id, or null when there was nothing to adopt.</summary>
    private static async Task<string?> AdoptUnversionedAsync(NeedleworkDbContext db, IDatabaseProvider provider, CancellationToken cancellationToken)
    {
        // Asked of the database itself: Npgsql's IHistoryRepository.ExistsAsync always answers true.
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)
            || (await provider.ColumnsAsync(db, HistoryRepository.DefaultTableName, cancellationToken)).Count > 0)
        {
            return null;
        }

        var migrations = db.GetService<IMigrationsAssembly>();
        var (initialId, initialType) = migrations.Migrations.First();
        var initial = migrations.CreateMigration(initialType, db.Database.ProviderName!);
        var missing = new List<string>();
        var found = 0;
        foreach (var table in initial.UpOperations.OfType<CreateTableOperation>())
        {
            var columns = await provider.ColumnsAsync(db, table.Name, cancellationToken);
            if (columns.Count == 0)
            {
                missing.Add(table.Name);
                continue;
            }

            found++;
            missing.AddRange(table.Columns.Where(c => !columns.Contains(c.Name)).Select(c => table.Name + "." + c.Name));
        }

        if (found == 0)
        {
            // None of our tables: an empty database (or one shared with others); the migrations create them.
            return null;
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The {provider.Name} database has Needlework tables but no migration history (no __EFMigrationsHistory table), " +
                $"and they do not match migration {initialId}: missing {string.Join(", ", missing)}. Nothing was changed. " +
                "Only an unchanged database of a Needlework version from before migrations is adopted. Restore a backup of it, " +
                "or start on an empty database (SQLite: move needlework.db out of the data directory; PostgreSQL: a new database).");
        }

        var history = db.GetService<IHistoryRepository>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetCreateScript(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initialId, ProductInfo.GetVersion())), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return initialId;
    }
}
