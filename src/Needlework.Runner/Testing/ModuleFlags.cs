namespace Needlework.Runner.Testing;

/// <summary>How a module's failure affects the job, with os-autoinst's flag names.</summary>
[Flags]
public enum ModuleFlags
{
    /// <summary>A failure fails the job's result, and the next modules still run.</summary>
    None = 0,

    /// <summary>A failure stops the job: the remaining modules do not run (except <see cref="AlwaysRun"/> ones).</summary>
    Fatal = 1,

    /// <summary>A failure does not count against the job's result.</summary>
    IgnoreFailure = 2,

    /// <summary>Runs even after a fatal failure stopped the others (cleanup, log collection).</summary>
    AlwaysRun = 4,

    /// <summary>A known good point; recorded in test_order.json (no VM snapshots are taken).</summary>
    Milestone = 8,
}
