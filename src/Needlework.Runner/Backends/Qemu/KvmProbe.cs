namespace Needlework.Runner.Backends.Qemu;

/// <summary>Chooses the accelerator the way QEMU will need it: KVM only when /dev/kvm can be opened read-write.</summary>
public static class KvmProbe
{
    public const string DevicePath = "/dev/kvm";

    public static bool IsUsable(string devicePath = DevicePath)
    {
        // Existence is not enough: the device is often there but owned by a group we are not in.
        try
        {
            using var device = new FileStream(devicePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static QemuAccelerator Choose(QemuVariables variables) =>
        !variables.NoKvm && IsUsable() ? QemuAccelerator.Kvm : QemuAccelerator.Tcg;
}
