using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// Puts modules in eval (or train) mode and gives each its own mode back when disposed, even when the code in between
/// throws: <c>using var mode = ModeScope.Eval(encoder);</c> is the one way the library evaluates a model it is handed.
/// </summary>
public sealed class ModeScope : IDisposable
{
    readonly (Module Module, bool WasTraining)[] saved;
    bool disposed;

    ModeScope(Module[] modules, bool training)
    {
        saved = new (Module, bool)[modules.Length];
        for (int i = 0; i < modules.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(modules[i]);
            saved[i] = (modules[i], modules[i].training);
        }
        foreach (var (m, _) in saved) m.train(training);
    }

    /// <summary>Eval mode (BatchNorm uses its running statistics, dropout is off) until disposed.</summary>
    public static ModeScope Eval(params Module[] modules) => new(modules, training: false);

    /// <summary>Training mode (BatchNorm normalises with the batch's statistics) until disposed.</summary>
    public static ModeScope Train(params Module[] modules) => new(modules, training: true);

    /// <summary>Restores every module's mode as it was before (recursively, as <c>Module.train(bool)</c> sets it).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        for (int i = saved.Length - 1; i >= 0; i--) saved[i].Module.train(saved[i].WasTraining);
    }
}
