namespace Needlework.Runner.Testing;

/// <summary>Names the file a test module class was compiled from; the runner's compiler adds these, not test authors.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ModuleSourceAttribute(string typeName, string path) : Attribute
{
    public string TypeName { get; } = typeName;

    public string Path { get; } = path;
}
