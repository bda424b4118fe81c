namespace LogReg.Preprocessing;

/// <summary>One train/validation partition of sample indices.</summary>
internal sealed record Fold(int Index, int[] Train, int[] Validation);
