// `ls` lists the devices GRUB sees; the CD it booted from is one of them.
public sealed class ls : TestModule
{
    public override void Run()
    {
        EnterCmd("ls");
        AssertScreen("grub-ls-output");
    }
}
