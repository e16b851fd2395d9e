namespace Needlework.Runner.Distribution;

/// <summary>A module in the schedule: its name (file name), category (folder), script path below CASEDIR, and class.</summary>
public sealed record ScheduledModule(string Name, string Category, string Script, Type Type);
