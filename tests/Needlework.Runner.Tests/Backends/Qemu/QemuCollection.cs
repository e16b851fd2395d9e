namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>Real QEMU tests run one at a time: two cores, and timing assertions that must not depend on a neighbour's guest.</summary>
[CollectionDefinition(Name)]
public sealed class QemuCollection
{
    public const string Name = "Real QEMU";
}
