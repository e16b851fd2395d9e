namespace Needlework.Runner.Testing;

/// <summary>
/// The schedule of a test distribution, in <c>CASEDIR/main.cs</c> when SCHEDULE is not set: override
/// <see cref="Schedule"/> and call <see cref="LoadTest"/> for each module, in order, deciding by variables.
/// </summary>
public abstract class TestSchedule
{
    private readonly List<string> _modules = [];

    internal Variables.JobVariables? Variables { get; set; }

    internal IReadOnlyList<string> Modules => _modules;

    /// <summary>Calls <see cref="LoadTest"/> for the modules to run.</summary>
    public abstract void Schedule();

    /// <summary>Schedules a module by its path below CASEDIR without <c>.cs</c>, e.g. <c>tests/boot</c>.</summary>
    protected void LoadTest(string path) => _modules.Add(path);

    /// <summary>A job variable, or <paramref name="fallback"/>.</summary>
    protected string? GetVar(string name, string? fallback = null) => Variables?.Get(name) ?? fallback;

    /// <summary>True when the variable is set to exactly <paramref name="value"/>.</summary>
    protected bool CheckVar(string name, string value) => Variables?.Get(name) == value;
}
