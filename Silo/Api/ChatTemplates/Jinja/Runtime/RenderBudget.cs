using System.Text;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>What one render may still spend: loop iterations and output characters (<see cref="TemplateLimits"/>).</summary>
public sealed class RenderBudget
{
    private int _iterations;

    public void Iterate()
    {
        if (++_iterations > TemplateLimits.MaxLoopIterations)
            throw new TemplateException($"the template ran more than {TemplateLimits.MaxLoopIterations} loop iterations");
    }

    public static void CheckOutput(StringBuilder output)
    {
        if (output.Length > TemplateLimits.MaxChars)
            throw new TemplateException($"the template's output passed its limit of {TemplateLimits.MaxChars} characters");
    }
}
