using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SslCourse.Notebooks;

/// <summary>One code cell as parts of a file-based app.</summary>
/// <param name="Usings">The cell's using directives (hoisted to the top of the file).</param>
/// <param name="Statements">Top-level statements, in order; the last expression shown as the kernel would.</param>
/// <param name="Types">Type declarations (a file-based app needs them after every top-level statement).</param>
sealed record ExportedCell(IReadOnlyList<string> Usings, string Statements, IReadOnlyList<string> Types);

/// <summary>
/// Translates C# script cells (what a notebook kernel runs, one submission per cell) into the parts of one
/// program with top-level statements. What differs and how it is bridged:
/// <list type="bullet">
/// <item>the value of a cell's last expression (no semicolon) is shown: it becomes <c>NotebookApp.Show(() =&gt; expr);</c>;</item>
/// <item>using directives may start any cell: they move to the top of the file;</item>
/// <item>types declared in a cell move after the statements; methods become local functions;</item>
/// <item>a later cell may declare a variable or method again (shadowing the earlier one): in one program that
/// would be a duplicate local, so the new one is renamed (<c>x</c> to <c>x_2</c>) in that cell and the cells after it.</item>
/// </list>
/// </summary>
sealed class ExportCellTranslator
{
    static readonly CSharpParseOptions Script = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    // name in the notebook -> name in the program, for every top-level variable and method declared so far
    readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>Translates one cell's code (kernel directives already removed).</summary>
    public ExportedCell Translate(string code)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        root = (CompilationUnitSyntax)new Renamer(_names).Visit(root);
        var usings = root.Usings.Select(u => u.WithoutTrivia().ToFullString()).ToList();
        var statements = new System.Text.StringBuilder();
        var types = new List<string>();
        var members = root.Members;
        for (int i = 0; i < members.Count; i++)
        {
            var member = members[i];
            switch (member)
            {
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax e } when i == members.Count - 1 && e.SemicolonToken.IsMissing:
                    statements.Append(e.GetLeadingTrivia().ToFullString());
                    statements.Append(ShowValue(e.Expression));
                    statements.Append(e.GetTrailingTrivia().ToFullString());
                    break;
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Add(member.ToFullString().Trim());
                    break;
                case MethodDeclarationSyntax method:
                    statements.Append(method.WithModifiers(WithoutAccess(method.Modifiers)).ToFullString());
                    break;
                case FieldDeclarationSyntax field:
                    // script variables are fields of the submission; in a program they are locals
                    var modifiers = WithoutAccess(field.Modifiers).Where(m => !m.IsKind(SyntaxKind.StaticKeyword) && !m.IsKind(SyntaxKind.ReadOnlyKeyword));
                    statements.Append(field.GetLeadingTrivia().ToFullString());
                    statements.Append(string.Concat(modifiers.Select(m => m.ToString() + " ")));
                    statements.Append(field.Declaration.WithoutLeadingTrivia().ToFullString()).Append(';');
                    statements.Append(field.SemicolonToken.TrailingTrivia.ToFullString());
                    break;
                default:
                    statements.Append(member.ToFullString());
                    break;
            }
        }
        // leading trivia of the end-of-file token (comments after the last statement)
        statements.Append(root.EndOfFileToken.LeadingTrivia.ToFullString());
        return new ExportedCell(usings, statements.ToString().TrimEnd(), types);
    }

    static string ShowValue(ExpressionSyntax expression)
    {
        var text = expression.WithoutTrivia().ToFullString();
        bool awaits = expression.DescendantNodesAndSelf(n => n is not (LambdaExpressionSyntax or AnonymousMethodExpressionSyntax))
            .OfType<AwaitExpressionSyntax>().Any();
        return awaits
            ? $"await {ExportShim.ClassName}.ShowAsync(async () => {text});"
            : $"{ExportShim.ClassName}.Show(() => {text});";
    }

    static SyntaxTokenList WithoutAccess(SyntaxTokenList modifiers) =>
        new(modifiers.Where(m => !m.IsKind(SyntaxKind.PublicKeyword) && !m.IsKind(SyntaxKind.PrivateKeyword)
                                 && !m.IsKind(SyntaxKind.InternalKeyword) && !m.IsKind(SyntaxKind.ProtectedKeyword)));

    /// <summary>Renames top-level variables and methods declared again, and every later use of them.</summary>
    sealed class Renamer(Dictionary<string, string> names) : CSharpSyntaxRewriter
    {
        string Declare(string name)
        {
            var emitted = name;
            if (names.ContainsKey(name))
            {
                var taken = names.Values.ToHashSet(StringComparer.Ordinal);
                for (int k = 2; ; k++)
                {
                    emitted = $"{name}_{k}";
                    if (!taken.Contains(emitted) && !names.ContainsKey(emitted)) break;
                }
            }
            names[name] = emitted;
            return emitted;
        }

        public override SyntaxNode? VisitVariableDeclarator(VariableDeclaratorSyntax node)
        {
            if (!IsTopLevel(node)) return base.VisitVariableDeclarator(node);
            // the initializer still sees the earlier variable of the same name
            var initializer = (EqualsValueClauseSyntax?)Visit(node.Initializer);
            var emitted = Declare(node.Identifier.ValueText);
            return node.WithInitializer(initializer).WithIdentifier(Rename(node.Identifier, emitted));
        }

        public override SyntaxNode? VisitSingleVariableDesignation(SingleVariableDesignationSyntax node) =>
            IsTopLevel(node) ? node.WithIdentifier(Rename(node.Identifier, Declare(node.Identifier.ValueText))) : base.VisitSingleVariableDesignation(node);

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            if (node.Parent is not CompilationUnitSyntax) return base.VisitMethodDeclaration(node);
            var emitted = Declare(node.Identifier.ValueText); // before the body: a recursive call means this method
            var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            return visited.WithIdentifier(Rename(node.Identifier, emitted));
        }

        // types cannot see top-level variables: nothing inside them is renamed
        public override SyntaxNode? VisitClassDeclaration(ClassDeclarationSyntax node) => node;
        public override SyntaxNode? VisitStructDeclaration(StructDeclarationSyntax node) => node;
        public override SyntaxNode? VisitRecordDeclaration(RecordDeclarationSyntax node) => node;
        public override SyntaxNode? VisitInterfaceDeclaration(InterfaceDeclarationSyntax node) => node;
        public override SyntaxNode? VisitEnumDeclaration(EnumDeclarationSyntax node) => node;

        public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
        {
            var name = node.Identifier.ValueText;
            if (!names.TryGetValue(name, out var emitted) || emitted == name || IsMemberName(node) || IsShadowed(node, name)) return node;
            return node.WithIdentifier(Rename(node.Identifier, emitted));
        }

        static SyntaxToken Rename(SyntaxToken token, string name) =>
            token.ValueText == name ? token : SyntaxFactory.Identifier(token.LeadingTrivia, name, token.TrailingTrivia);

        static bool IsMemberName(IdentifierNameSyntax node) => node.Parent switch
        {
            MemberAccessExpressionSyntax m => m.Name == node,
            MemberBindingExpressionSyntax => true,
            QualifiedNameSyntax q => q.Right == node,
            NameColonSyntax or NameEqualsSyntax => true,
            _ => false,
        };

        /// <summary>True when the declaration lives in the script's top scope (not in a block, lambda, loop or method).</summary>
        static bool IsTopLevel(SyntaxNode node)
        {
            for (var n = node.Parent; n != null; n = n.Parent)
            {
                switch (n)
                {
                    case GlobalStatementSyntax or FieldDeclarationSyntax or CompilationUnitSyntax: return true;
                    case BlockSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax
                        or ForStatementSyntax or CommonForEachStatementSyntax or UsingStatementSyntax or CatchClauseSyntax
                        or WhileStatementSyntax or DoStatementSyntax or QueryExpressionSyntax or SwitchSectionSyntax
                        or SwitchExpressionArmSyntax or BaseTypeDeclarationSyntax or FixedStatementSyntax:
                        return false;
                }
            }
            return true;
        }

        /// <summary>True when a parameter or inner local of the same name hides the top-level one at this use.</summary>
        static bool IsShadowed(SyntaxNode use, string name)
        {
            for (var n = use.Parent; n != null && n is not CompilationUnitSyntax; n = n.Parent)
            {
                bool hides = n switch
                {
                    SimpleLambdaExpressionSyntax l => l.Parameter.Identifier.ValueText == name,
                    ParenthesizedLambdaExpressionSyntax l => l.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name),
                    AnonymousMethodExpressionSyntax a => a.ParameterList?.Parameters.Any(p => p.Identifier.ValueText == name) == true,
                    LocalFunctionStatementSyntax f => f.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name),
                    MethodDeclarationSyntax m => m.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name),
                    CommonForEachStatementSyntax f => f is ForEachStatementSyntax fe && fe.Identifier.ValueText == name,
                    ForStatementSyntax f => f.Declaration?.Variables.Any(v => v.Identifier.ValueText == name) == true,
                    UsingStatementSyntax u => u.Declaration?.Variables.Any(v => v.Identifier.ValueText == name) == true,
                    CatchClauseSyntax c => c.Declaration?.Identifier.ValueText == name,
                    BlockSyntax b => b.Statements.Any(s => s is LocalDeclarationStatementSyntax d && d.Declaration.Variables.Any(v => v.Identifier.ValueText == name)
                                                           || s is LocalFunctionStatementSyntax f && f.Identifier.ValueText == name),
                    _ => false,
                };
                if (hides) return true;
            }
            return false;
        }
    }
}
