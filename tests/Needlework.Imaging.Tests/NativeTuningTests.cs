using System.Runtime.InteropServices;

namespace Needlework.Imaging.Tests;

public sealed partial class NativeTuningTests
{
    [Fact]
    public void OpenCvSeesIppTurnedOffUnlessTheEnvironmentChoseOtherwise()
    {
        // The value the process started with, before anything here could change the native environment.
        var chosen = Environment.GetEnvironmentVariable(NativeTuning.IppVariable);

        NativeTuning.EnsureApplied();

        // OpenCV reads the native environment (getenv), which .NET's own view does not show.
        var seen = Marshal.PtrToStringUTF8(GetEnv(NativeTuning.IppVariable));
        Assert.Equal(chosen ?? "disabled", seen);
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);
}
