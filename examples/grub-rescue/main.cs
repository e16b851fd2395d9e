// The schedule of the GRUB example: boot Debian's grub-rescue ISO, use its console, halt.
public sealed class Main : TestSchedule
{
    public override void Schedule()
    {
        LoadTest("tests/boot");
        LoadTest("tests/console");
        LoadTest("tests/ls");
        LoadTest("tests/help");
        LoadTest("tests/halt");
    }
}
