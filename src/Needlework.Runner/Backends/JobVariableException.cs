namespace Needlework.Runner.Backends;

/// <summary>A job variable (vars.json) the backend cannot use; the message names the variable and the expected value.</summary>
public sealed class JobVariableException : Exception
{
    public JobVariableException(string variable, string? value, string expectation)
        : base(value is null
            ? $"job variable {variable} is not usable: {expectation}"
            : $"job variable {variable}='{value}' is not usable: {expectation}")
    {
        Variable = variable;
        Value = value;
    }

    public string Variable { get; }

    public string? Value { get; }
}
