namespace Needlework.Runner.Backends.Qemu;

public enum QemuAccelerator
{
    /// <summary>Hardware virtualisation through /dev/kvm.</summary>
    Kvm,

    /// <summary>QEMU's portable binary translator: slow but works everywhere.</summary>
    Tcg,
}
