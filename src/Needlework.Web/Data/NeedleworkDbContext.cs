using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Needlework.Core.Jobs;

namespace Needlework.Web.Data;

/// <summary>
/// The one model of the database; table and column names follow openQA's schema where it matters. Each engine
/// has its own subclass because EF Core keeps migrations per context type, and the engines need different ones.
/// </summary>
public abstract class NeedleworkDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<JobModule> JobModules => Set<JobModule>();

    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<KnownFailure> KnownFailures => Set<KnownFailure>();

    public DbSet<JobStatistics> JobStatistics => Set<JobStatistics>();

    public DbSet<JobScreenshot> JobScreenshots => Set<JobScreenshot>();

    public DbSet<ThresholdSetting> ThresholdSettings => Set<ThresholdSetting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var settingsConverter = new ValueConverter<Dictionary<string, string>, string>(
            v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
            v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>());
        var settingsComparer = new ValueComparer<Dictionary<string, string>>(
            (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
            v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key.GetHashCode(StringComparison.Ordinal), p.Value.GetHashCode(StringComparison.Ordinal))),
            v => new Dictionary<string, string>(v, StringComparer.Ordinal));

        modelBuilder.Entity<Job>(job =>
        {
            job.ToTable("jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.Id).HasColumnName("id");
            job.Property(j => j.State).HasColumnName("state").HasConversion(s => s.ToWire(), s => ParseState(s)).HasMaxLength(16)
                .IsConcurrencyToken(); // the scheduler's guard: a job leaves "scheduled" exactly once
            job.Property(j => j.Result).HasColumnName("result").HasConversion(r => r.ToWire(), r => ParseResult(r)).HasMaxLength(24);
            job.Property(j => j.Reason).HasColumnName("reason").HasMaxLength(JobReason.MaxLength);
            job.Property(j => j.Backend).HasColumnName("backend");
            job.Property(j => j.Priority).HasColumnName("priority");
            job.Property(j => j.CloneId).HasColumnName("clone_id");
            job.HasOne(j => j.Clone).WithOne().HasForeignKey<Job>(j => j.CloneId).OnDelete(DeleteBehavior.SetNull);
            job.Property(j => j.TCreated).HasColumnName("t_created");
            job.Property(j => j.TStarted).HasColumnName("t_started");
            job.Property(j => j.TFinished).HasColumnName("t_finished");
            job.Property(j => j.AssignedWorkerId).HasColumnName("assigned_worker_id");
            job.Property(j => j.LastWorkerId).HasColumnName("last_worker_id");
            job.Property(j => j.KnownFailureId).HasColumnName("known_failure_id");
            job.Property(j => j.Test).HasColumnName("TEST");
            job.Property(j => j.Arch).HasColumnName("ARCH");
            job.Property(j => j.Machine).HasColumnName("MACHINE");
            job.Property(j => j.Distri).HasColumnName("DISTRI");
            job.Property(j => j.Version).HasColumnName("VERSION");
            job.Property(j => j.Flavor).HasColumnName("FLAVOR");
            job.Property(j => j.Build).HasColumnName("BUILD");
            job.Property(j => j.Settings).HasColumnName("settings").HasConversion(settingsConverter, settingsComparer);
            job.Property(j => j.AssignedSettingKeys).HasColumnName("assigned_setting_keys");
            job.Ignore(j => j.Name);
            job.Ignore(j => j.WorkerClasses);
            job.HasIndex(j => new { j.State, j.Priority, j.Id });
            job.HasIndex(j => j.Result);
        });

        modelBuilder.Entity<JobModule>(m =>
        {
            m.ToTable("job_modules");
            m.HasIndex(x => new { x.JobId, x.Name }).IsUnique();
            m.HasOne<Job>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WorkerRecord>(w =>
        {
            w.ToTable("workers");
            w.HasIndex(x => new { x.Host, x.Instance }).IsUnique();
            w.Property(x => x.Properties).HasConversion(settingsConverter, settingsComparer);
            w.Ignore(x => x.Name);
        });

        modelBuilder.Entity<ApiKey>(k =>
        {
            k.ToTable("api_keys");
            k.HasIndex(x => x.Key).IsUnique();
        });

        modelBuilder.Entity<KnownFailure>(k => k.ToTable("known_failures"));

        modelBuilder.Entity<JobStatistics>(s =>
        {
            s.ToTable("job_statistics");
            s.HasKey(x => x.JobId);
            s.HasOne<Job>().WithOne().HasForeignKey<JobStatistics>(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
            s.HasIndex(x => x.WorkerClass);
        });

        modelBuilder.Entity<JobScreenshot>(s =>
        {
            s.ToTable("job_screenshots");
            s.HasIndex(x => new { x.JobId, x.Name }).IsUnique();
            s.HasIndex(x => x.Checksum);
            s.HasOne<Job>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ThresholdSetting>(t =>
        {
            t.ToTable("threshold_settings");
            t.HasKey(x => x.WorkerClass);
        });
    }

    private static JobState ParseState(string text) => JobWording.TryParseState(text, out var state) ? state : JobState.Scheduled;

    private static JobResult ParseResult(string text) => JobWording.TryParseResult(text, out var result) ? result : JobResult.None;
}
