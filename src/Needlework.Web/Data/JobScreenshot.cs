namespace Needlework.Web.Data;

/// <summary>A job's screenshot by name; the bytes are stored once per checksum and shared between jobs.</summary>
public sealed class JobScreenshot
{
    public long Id { get; set; }

    public long JobId { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Checksum { get; set; } = string.Empty;
}
