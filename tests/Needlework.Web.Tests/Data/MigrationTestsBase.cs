using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Needlework.Core.Jobs;
using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Data;

/// <summary>Migrations on start, run once on SQLite and once on a real PostgreSQL by the subclasses.</summary>
public abstract class MigrationTestsBase
{
    protected abstract TestDatabase NewDatabase();

    private static Task<List<string>> MigrationsAsync(TestDatabase database) =>
        database.UseAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));

    private static Task<List<string>> AppliedAsync(TestDatabase database) =>
        database.UseAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList());

    private static Task<long> AddJobAsync(TestDatabase database, string test) => database.UseAsync(async db =>
    {
        var job = Job.Create(new Dictionary<string, string> { ["TEST"] = test }, DateTimeOffset.UtcNow);
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    });

    [Fact(Timeout = 60_000)]
    public async Task FreshDatabaseGetsEveryMigrationAndIsUsable()
    {
        await using var database = NewDatabase();
        var report = await database.InitialiseAsync();

        var migrations = await MigrationsAsync(database);
        Assert.NotEmpty(migrations);
        Assert.Equal(migrations, report.Applied);
        Assert.Null(report.AdoptedAt);
        Assert.Equal(migrations, await AppliedAsync(database));
        var id = await AddJobAsync(database, "fresh");
        var newest = await database.UseAsync(db => db.Jobs.OrderByDescending(j => j.TCreated).FirstAsync());
        Assert.Equal((id, "fresh"), (newest.Id, newest.Test));
    }

    [Fact(Timeout = 30_000)]
    public async Task ModelHasNoChangeWithoutAMigration()
    {
        await using var database = NewDatabase();
        var (pending, context) = await database.UseAsync(db => Task.FromResult((db.Database.HasPendingModelChanges(), db.GetType().Name)));
        Assert.False(pending, $"The model differs from the last migration of {context}: add one for each engine (docs/configuration.md, Database migrations).");
    }

    [Fact(Timeout = 60_000)]
    public async Task DatabaseMadeBeforeMigrationsIsAdoptedWithItsData()
    {
        await using var database = NewDatabase();
        await database.CreateAsBeforeMigrationsAsync();
        var id = await AddJobAsync(database, "made-before-migrations");

        var report = await database.InitialiseAsync();

        var migrations = await MigrationsAsync(database);
        Assert.Equal(migrations[0], report.AdoptedAt);
        Assert.Equal(migrations.Skip(1), report.Applied);
        Assert.Equal(migrations, await AppliedAsync(database));
        Assert.Equal("made-before-migrations", (await database.UseAsync(db => db.Jobs.SingleAsync(j => j.Id == id))).Test);
        Assert.NotEqual(id, await AddJobAsync(database, "after-adoption"));

        await using var fresh = NewDatabase();
        await fresh.InitialiseAsync();
        Assert.Equal(await fresh.SchemaAsync(), await database.SchemaAsync());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("DROP TABLE threshold_settings", "threshold_settings")]
    [InlineData("ALTER TABLE jobs DROP COLUMN assigned_setting_keys", "jobs.assigned_setting_keys")]
    public async Task DatabaseWithoutHistoryThatDoesNotMatchIsRefusedUntouched(string change, string missing)
    {
        await using var database = NewDatabase();
        await database.CreateAsBeforeMigrationsAsync(change);
        var before = await database.SchemaAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(database.InitialiseAsync);

        Assert.Contains("no migration history", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing " + missing, error.Message, StringComparison.Ordinal);
        Assert.Empty(await database.UseAsync(db => database.Provider.ColumnsAsync(db, HistoryRepository.DefaultTableName, CancellationToken.None)));
        Assert.Equal(before, await database.SchemaAsync());
    }

    [Fact(Timeout = 120_000)]
    public async Task WebUiStartsTwiceOnTheSameDatabase()
    {
        await using var database = NewDatabase();
        long id;
        await using (var first = new WebUiFactory(extra: database.Connection))
        {
            var (client, _) = await first.SignedClientAsync();
            var created = await client.PostAsync("/api/v1/jobs", new FormUrlEncodedContent(new Dictionary<string, string> { ["TEST"] = "twice", ["WORKER_CLASS"] = "nobody" }));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }

        await using (var second = new WebUiFactory(extra: database.Connection))
        {
            var job = await second.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
            Assert.Equal("twice", job.GetProperty("job").GetProperty("test").GetString());
        }

        var third = await database.InitialiseAsync();
        Assert.Empty(third.Applied);
        Assert.Null(third.AdoptedAt);
        Assert.Equal(await MigrationsAsync(database), await AppliedAsync(database));
    }
}
