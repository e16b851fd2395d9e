namespace Needlework.Runner.Results;

/// <summary>One step of a module in openQA's result-&lt;module&gt;.json: a screen match or failure, a text, a soft failure.</summary>
public sealed class ResultDetail
{
    /// <summary>ok, fail, softfail or unk.</summary>
    public required string Result { get; set; }

    public string? Screenshot { get; set; }

    /// <summary>The frame's place in the video, as media fragment times in seconds ("12.04", "12.08").</summary>
    public IReadOnlyList<string>? Frametime { get; set; }

    public string? Needle { get; set; }

    public IReadOnlyList<ResultArea>? Area { get; set; }

    public double? Error { get; set; }

    public string? Json { get; set; }

    public IReadOnlyList<string>? Tags { get; set; }

    public IReadOnlyList<object>? Properties { get; set; }

    /// <summary>The candidates that did not match, each with its areas.</summary>
    public IReadOnlyList<ResultCandidate>? Needles { get; set; }

    public string? Title { get; set; }

    /// <summary>Name of a text file beside the results.</summary>
    public string? Text { get; set; }

    public int? Dent { get; set; }
}
