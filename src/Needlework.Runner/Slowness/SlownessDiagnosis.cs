namespace Needlework.Runner.Slowness;

/// <summary>Who was slow: <c>slow_sut</c> or <c>slow_worker</c>, and the words that say why, ready to follow a limit in the reason.</summary>
/// <param name="Category">BackendReason.SlowSut or BackendReason.SlowWorker.</param>
/// <param name="Explanation">For example "SUT stopped (QEMU not scheduled), host load 0.3 on 2 CPUs".</param>
public sealed record SlownessDiagnosis(string Category, string Explanation);
