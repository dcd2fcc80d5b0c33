using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace SslCourse.Exercises;

/// <summary>What an exercise's solution may not use: symbols (a namespace, type or member, fully qualified without
/// <c>global::</c>, e.g. <c>SslCourse.Losses.NtXent</c>) and whether loops are banned (vectorised exercises).</summary>
/// <param name="Symbols">The exercise's reference(s): using one is reported as "the reference implementation".</param>
/// <param name="Vectorised">True when the solution may not loop (for, foreach, while, do, LINQ, recursion, Parallel).</param>
public sealed record SolutionRules(IReadOnlyList<string> Symbols, bool Vectorised)
{
    /// <summary>No exercise-specific rules (the global deny-list still applies).</summary>
    public static readonly SolutionRules None = new([], false);
}

/// <summary>
/// Reads a solution region with Roslyn's semantic model and reports the first thing it may not use: the exercise's
/// own reference (<see cref="SolutionRules"/>), or anything of the deny-list that applies to every solution
/// (reflection, <c>dynamic</c>, assembly loading, native interop and unsafe code, processes, file and network I/O,
/// <c>Environment.Exit</c>, the notebook kernel and its formatters, the check API). Because it judges the symbols the
/// code binds to, aliases, <c>using static</c>, fully qualified and <c>global::</c> names are all seen for what they
/// are. Helpers the region calls that are declared in notebook code (earlier cells, or the same cell) are read too,
/// so a reference wrapped in a helper is caught as well. The notebook check (<see cref="CheckBuilder.Done"/>, through
/// the kernel's compiled submissions) and <c>ssl-course grade</c> (<see cref="AnalyzeCells"/>, compiling the graded
/// notebook's cells the same way) run this same analysis, so they give the same verdict and message.
/// </summary>
public static class SolutionAnalyzer
{
    /// <summary>The deny-list: a namespace, type or member prefix and what it is.</summary>
    static readonly (string Prefix, string What)[] Denied =
    [
        ("System.Reflection", "reflection"),
        ("System.Type", "reflection"),
        ("System.Activator", "reflection"),
        ("System.Delegate.CreateDelegate", "reflection"),
        ("System.Delegate.DynamicInvoke", "reflection"),
        ("System.Delegate.Method", "reflection"),
        ("System.Linq.Expressions", "reflection (expression trees)"),
        ("System.Runtime.CompilerServices.RuntimeHelpers", "reflection"),
        ("System.Runtime.CompilerServices.UnsafeAccessorAttribute", "reflection"),
        ("System.Runtime.CompilerServices.Unsafe", "unsafe code"),
        ("System.Runtime.Loader", "assembly loading"),
        ("System.AppDomain", "assembly loading"),
        ("System.Runtime.InteropServices", "native interop"),
        ("System.Diagnostics.Process", "processes"),
        ("System.Diagnostics.ProcessStartInfo", "processes"),
        ("System.IO.File", "file I/O"),
        ("System.IO.FileInfo", "file I/O"),
        ("System.IO.FileStream", "file I/O"),
        ("System.IO.FileSystemInfo", "file I/O"),
        ("System.IO.FileSystemWatcher", "file I/O"),
        ("System.IO.Directory", "file I/O"),
        ("System.IO.DirectoryInfo", "file I/O"),
        ("System.IO.DriveInfo", "file I/O"),
        ("System.IO.StreamReader", "file I/O"),
        ("System.IO.StreamWriter", "file I/O"),
        ("System.IO.RandomAccess", "file I/O"),
        ("System.IO.MemoryMappedFiles", "file I/O"),
        ("System.IO.Pipes", "file I/O"),
        ("System.IO.IsolatedStorage", "file I/O"),
        ("System.IO.Compression.ZipFile", "file I/O"),
        ("System.Console.OpenStandardInput", "file I/O"),
        ("System.Console.OpenStandardOutput", "file I/O"),
        ("System.Console.OpenStandardError", "file I/O"),
        ("System.Console.SetIn", "file I/O"),
        ("System.Console.SetOut", "file I/O"),
        ("System.Console.SetError", "file I/O"),
        ("TorchSharp.torch.save", "file I/O"),
        ("TorchSharp.torch.load", "file I/O"),
        ("TorchSharp.torch.jit", "file I/O"),
        ("TorchSharp.torch.nn.Module.save", "file I/O"),
        ("TorchSharp.torch.nn.Module.load", "file I/O"),
        ("System.Net", "network I/O"),
        ("System.Environment.Exit", "ending the process"),
        ("System.Environment.FailFast", "ending the process"),
        ("System.Environment.SetEnvironmentVariable", "changing the environment"),
        ("Microsoft.DotNet.Interactive", "the notebook kernel and its formatter registration"),
        ("Microsoft.CodeAnalysis", "the compiler"),
        ("SslCourse.Exercises", "the check API"),
    ];

    /// <summary>What a vectorised solution may not call (besides loop statements and recursion).</summary>
    static readonly string[] LoopSymbols = ["System.Linq.Enumerable", "System.Threading.Tasks.Parallel"];

    static readonly SymbolDisplayFormat Qualified = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType);

    /// <summary>How deep helpers declared in notebook code are followed.</summary>
    const int HelperDepth = 4;

    /// <summary>The first violation in the solution regions (spans of <paramref name="tree"/>, a tree of
    /// <paramref name="compilation"/> or of a previous script submission), or null when the solution is clean.</summary>
    public static string? Analyze(Compilation compilation, SyntaxTree tree, IReadOnlyList<TextSpan> regions, SolutionRules rules)
    {
        var visited = new HashSet<SyntaxNode>();
        foreach (var span in regions)
        {
            var root = tree.GetRoot();
            var nodes = root.DescendantNodes(span).Where(n => span.Contains(n.Span)).ToList();
            var found = Scan(compilation, tree, nodes, rules, visited, 0, helper: null);
            if (found != null) return found;
        }
        return null;
    }

    static string? Scan(Compilation compilation, SyntaxTree tree, IReadOnlyList<SyntaxNode> nodes, SolutionRules rules, HashSet<SyntaxNode> visited, int depth, string? helper)
    {
        var model = ModelFor(compilation, tree);
        if (model == null) return null;
        string Where(string what) => helper == null ? what : $"{what} (through {helper}, which your solution calls)";
        var follow = new List<ISymbol>();
        foreach (var node in nodes)
        {
            if (IsInsideNameof(node)) continue;
            if (SyntaxViolation(node, rules) is ({ } what, { } why)) return $"your solution {Where(what)}{why}";
            if (node is ExpressionSyntax or VariableDeclarationSyntax && model.GetTypeInfo(node).Type is IDynamicTypeSymbol)
                return "your solution " + Where("uses dynamic") + ", which is not allowed in a solution: write statically typed code.";
            var info = model.GetSymbolInfo(node);
            var symbols = info.Symbol != null ? [info.Symbol] : info.CandidateSymbols;
            foreach (var raw in symbols)
            {
                var symbol = raw is IMethodSymbol { ReducedFrom: { } r } ? r : raw;
                if (symbol is INamespaceSymbol) continue;
                if (symbol is ITypeSymbol { TypeKind: TypeKind.Dynamic })
                    return "your solution " + Where("uses dynamic") + ", which is not allowed in a solution: write statically typed code.";
                var name = Name(symbol);
                var names = Names(symbol);
                if (rules.Symbols.FirstOrDefault(p => names.Any(n => Matches(n, p))) is { } reference)
                    return $"your solution {Where("calls " + name)}, the reference implementation ({reference}): write it yourself.";
                if (Denied.FirstOrDefault(d => names.Any(n => Matches(n, d.Prefix))) is { Prefix: not null } denied)
                    return $"your solution {Where("uses " + name)} ({denied.What}), which is not allowed in a solution.";
                if (rules.Vectorised && LoopSymbols.FirstOrDefault(p => names.Any(n => Matches(n, p))) is { } loop)
                    return $"your solution {Where("calls " + name)}, a loop in disguise: this exercise asks for vectorised tensor code without loops over the batch.";
                if (depth < HelperDepth && symbol.DeclaringSyntaxReferences.Length > 0 && symbol is IMethodSymbol or IFieldSymbol or IPropertySymbol or ILocalSymbol)
                    follow.Add(symbol);
            }
        }
        foreach (var symbol in follow)
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                var declaration = reference.GetSyntax();
                if (declaration is VariableDeclaratorSyntax { Initializer: null }) continue;
                // The region's own locals and the exercise's own declaration are already being read.
                if (!visited.Add(declaration) || nodes.Contains(declaration)) continue;
                if (IsEnclosing(nodes, declaration))
                {
                    // The exercise's own function (or the one the region sits in): calling it is recursion.
                    if (symbol is IMethodSymbol m && rules.Vectorised)
                        return "your solution calls " + m.Name + " recursively, a loop in disguise: this exercise asks for vectorised tensor code without loops over the batch.";
                    continue;
                }
                var inner = declaration.DescendantNodes().ToList();
                var found = Scan(compilation, declaration.SyntaxTree, inner, rules, visited, depth + 1, helper ?? Name(symbol));
                if (found != null) return found;
            }
        }
        return null;
    }

    static bool IsEnclosing(IReadOnlyList<SyntaxNode> nodes, SyntaxNode declaration) =>
        nodes.Count > 0 && nodes[0].SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(nodes[0].Span);

    /// <summary>What a statement does that is not allowed, and the rest of the sentence; (null, null) when fine.</summary>
    static (string? What, string? Why) SyntaxViolation(SyntaxNode node, SolutionRules rules)
    {
        const string NotAllowed = ", which is not allowed in a solution.";
        const string Loops = ": this exercise asks for vectorised tensor code without loops over the batch.";
        switch (node)
        {
            case UnsafeStatementSyntax:
            case FixedStatementSyntax:
            case PointerTypeSyntax:
            case FunctionPointerTypeSyntax:
                return ("uses unsafe code (pointers)", NotAllowed);
            case LocalFunctionStatementSyntax f when f.Modifiers.Any(m => m.IsKind(SyntaxKind.ExternKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword)):
            case MethodDeclarationSyntax d when d.Modifiers.Any(m => m.IsKind(SyntaxKind.ExternKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword)):
                return ("declares an extern or unsafe function (native interop)", NotAllowed);
        }
        if (!rules.Vectorised) return (null, null);
        return node switch
        {
            ForStatementSyntax => ("uses a for loop", Loops),
            ForEachStatementSyntax or ForEachVariableStatementSyntax => ("uses a foreach loop", Loops),
            WhileStatementSyntax or DoStatementSyntax => ("uses a while loop", Loops),
            GotoStatementSyntax => ("uses goto (a loop in disguise)", Loops),
            _ => (null, null),
        };
    }

    static bool IsInsideNameof(SyntaxNode node) =>
        node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" });

    /// <summary>The qualified name of a symbol (a constructor is named by its type).</summary>
    static string Name(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } c => c.ContainingType.OriginalDefinition.ToDisplayString(Qualified),
        _ => symbol.OriginalDefinition.ToDisplayString(Qualified),
    };

    /// <summary>The symbol's qualified name and those of its containing types and namespaces.</summary>
    static List<string> Names(ISymbol symbol)
    {
        var names = new List<string> { Name(symbol) };
        if (symbol is not ITypeSymbol && symbol.ContainingType is { } owner) names.Add(owner.OriginalDefinition.ToDisplayString(Qualified) + "." + symbol.Name);
        for (var t = symbol as ITypeSymbol ?? symbol.ContainingType; t != null; t = t.ContainingType)
            names.Add(t.OriginalDefinition.ToDisplayString(Qualified));
        if (symbol.ContainingType is { } type)
            for (var b = type.BaseType; b != null; b = b.BaseType)
                names.Add(b.OriginalDefinition.ToDisplayString(Qualified) + "." + symbol.Name);
        return names;
    }

    static bool Matches(string name, string prefix) =>
        name == prefix || name.StartsWith(prefix + ".", StringComparison.Ordinal);

    static SemanticModel? ModelFor(Compilation compilation, SyntaxTree tree)
    {
        for (Compilation? c = compilation; c != null; c = c.ScriptCompilationInfo?.PreviousScriptCompilation)
            if (c.SyntaxTrees.Contains(tree)) return c.GetSemanticModel(tree);
        return null;
    }

    /// <summary>The spans of the solution regions of the exercise whose header line (<c>// EXERCISE id</c>) is in
    /// <paramref name="text"/>: the lines strictly between <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c> after
    /// that header (up to the next exercise header). Empty when there is no such header or region.</summary>
    public static IReadOnlyList<TextSpan> Regions(SourceText text, string exercise)
    {
        var spans = new List<TextSpan>();
        bool inExercise = false;
        int open = -1;
        foreach (var line in text.Lines)
        {
            var t = line.ToString().Trim();
            if (IsHeader(t, out var id))
            {
                if (inExercise && id != exercise) break;
                inExercise = id == exercise;
                continue;
            }
            if (!inExercise) continue;
            if (t == "// BEGIN SOLUTION") open = line.EndIncludingLineBreak;
            else if (t == "// END SOLUTION" && open >= 0)
            {
                spans.Add(TextSpan.FromBounds(open, line.Start));
                open = -1;
            }
        }
        return spans;
    }

    static bool IsHeader(string line, out string id)
    {
        id = "";
        if (!line.StartsWith("//", StringComparison.Ordinal)) return false;
        var rest = line[2..].TrimStart();
        if (!rest.StartsWith("EXERCISE ", StringComparison.Ordinal)) return false;
        id = new string(rest[9..].TrimStart().TakeWhile(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.').ToArray());
        return id.Length > 0;
    }

    /// <summary>The rules a check cell declares: the string arguments of its <c>.Forbid(...)</c> calls and whether it
    /// calls <c>.Vectorised()</c>. Read from the syntax of the (instructor's) check cell, never by running it.</summary>
    public static SolutionRules RulesIn(string checkSource)
    {
        var root = CSharpSyntaxTree.ParseText(checkSource, ScriptParse).GetRoot();
        var symbols = new List<string>();
        bool vectorised = false;
        foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            var name = call.Expression switch
            {
                MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
                IdentifierNameSyntax i => i.Identifier.ValueText,
                _ => null,
            };
            if (name == nameof(CheckBuilder.Forbid))
                symbols.AddRange(call.ArgumentList.Arguments.Select(a => a.Expression).OfType<LiteralExpressionSyntax>()
                    .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)).Select(l => l.Token.ValueText));
            else if (name == nameof(CheckBuilder.Vectorised)) vectorised = true;
        }
        return new SolutionRules(symbols, vectorised);
    }

    /// <summary>Told about cells that do not compile during <see cref="AnalyzeCells"/> (for tests and diagnosis).</summary>
    public static Action<string>? Diagnostics { get; set; }

    static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>
    /// The grader's side: compiles <paramref name="cells"/> (the code cells of the graded notebook, in order; without
    /// running them) as the chain of script submissions the kernel makes, with <c>#r</c> paths resolved against
    /// <paramref name="directory"/>, and analyses each exercise's solution regions in its cell (index into
    /// <paramref name="cells"/>) with the rules its check cell declares (<see cref="RulesIn"/>). Returns the
    /// violation message of every exercise that has one. Kernel directives (<c>#!</c>, <c>#r "nuget:</c>, <c>#i</c>)
    /// are blanked, as the kernel handles them itself.
    /// </summary>
    public static IReadOnlyDictionary<string, string> AnalyzeCells(IReadOnlyList<string> cells, string directory,
        IReadOnlyList<(int Cell, string Exercise, string CheckSource)> exercises)
    {
        var verdicts = new Dictionary<string, string>();
        if (cells.Count == 0 || exercises.Count == 0) return verdicts;
        // Built as a chain of script compilations directly (not with CSharpScript.ContinueWith, which refuses to go on
        // after a cell with errors): a cell that does not compile here still leaves the others analysable.
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            metadataReferenceResolver: ScriptMetadataResolver.Default.WithBaseDirectory(directory).WithSearchPaths(directory),
            sourceReferenceResolver: new SourceFileResolver([], directory),
            nullableContextOptions: NullableContextOptions.Enable,
            usings: KernelUsings);
        var references = Basic().Append(MetadataReference.CreateFromFile(SslCourse.Display.KernelSolution.KernelAssemblyPath)).ToList();
        var compilations = new List<CSharpCompilation>();
        CSharpCompilation? state = null;   // the last cell that compiled: as in the kernel, a failed cell adds nothing
        for (int i = 0; i < cells.Count; i++)
        {
            var tree = CSharpSyntaxTree.ParseText(KernelCode(cells[i]), ScriptParse, path: Path.Combine(directory, $"cell{i + 1}.csx"));
            var compilation = CSharpCompilation.CreateScriptCompilation($"cell{i + 1}", tree, references, options,
                previousScriptCompilation: state, returnType: typeof(object));
            compilations.Add(compilation);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0) state = compilation;
            else Diagnostics?.Invoke($"cell {i + 1}: {errors.Count} compile error(s), e.g. {errors[0]}");
        }
        foreach (var (index, exercise, checkSource) in exercises)
        {
            if (index < 0 || index >= compilations.Count) continue;
            var compilation = compilations[index];
            var tree = compilation.SyntaxTrees.Last();
            var regions = Regions(tree.GetText(), exercise);
            if (regions.Count == 0) continue;
            if (Analyze(compilation, tree, regions, RulesIn(checkSource)) is { } message) verdicts[exercise] = message;
        }
        return verdicts;
    }

    /// <summary>The namespaces the C# kernel imports before the first cell (CSharpKernel's defaults, and the kernel
    /// helpers such as <c>display</c>).</summary>
    static readonly string[] KernelUsings =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
         "Microsoft.DotNet.Interactive.Kernel"];

    /// <summary>The references a kernel starts with: the framework's assemblies.</summary>
    static IEnumerable<MetadataReference> Basic()
    {
        var dir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var f in Directory.GetFiles(dir, "System*.dll").Concat(Directory.GetFiles(dir, "Microsoft.*.dll")).Append(Path.Combine(dir, "netstandard.dll")))
        {
            MetadataReference? r;
            try { r = MetadataReference.CreateFromFile(f); } catch (Exception e) when (e is IOException or BadImageFormatException) { r = null; }
            if (r != null) yield return r;
        }
    }

    /// <summary>A cell's code as the kernel compiles it: kernel directives blanked (lines kept, so spans match).</summary>
    static string KernelCode(string cell) =>
        string.Join("\n", cell.Split('\n').Select(l =>
        {
            var t = l.TrimStart();
            return t.StartsWith("#!", StringComparison.Ordinal) || t.StartsWith("#i ", StringComparison.Ordinal)
                || t.StartsWith("#r \"nuget:", StringComparison.Ordinal) ? "" : l;
        }));
}
