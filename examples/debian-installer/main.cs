// The Debian installer example: a realistic slow SUT. Under TCG the installer needs about 90 s to
// reach its first question.
public sealed class Main : TestSchedule
{
    public override void Schedule() => LoadTest("tests/language");
}
