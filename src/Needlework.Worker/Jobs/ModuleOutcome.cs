namespace Needlework.Worker.Jobs;

/// <summary>One module's result as the runner left it, with the flag that decides whether a failure counts.</summary>
/// <param name="Name">The module name.</param>
/// <param name="Result">The runner's word: ok, fail, softfail, skip, canceled, or null while unfinished.</param>
/// <param name="IgnoreFailure">openQA's ignore_failure flag: a failure of this module does not fail the job.</param>
public sealed record ModuleOutcome(string Name, string? Result, bool IgnoreFailure);
