namespace Needlework.Web.Data;

/// <summary>A test module of a job (openQA's job_modules), with its steps as JSON as the runner wrote them.</summary>
public sealed class JobModule
{
    public long Id { get; set; }

    public long JobId { get; set; }

    public int Ordinal { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? Category { get; set; }

    public string? Script { get; set; }

    public string Result { get; set; } = "none";

    /// <summary>The details array of result-&lt;module&gt;.json.</summary>
    public string? Details { get; set; }
}
