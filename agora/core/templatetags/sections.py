"""`{% render_section section %}`: render a part another app added to this page (see
`agora.core.sections`), inside the page's context plus the part's own."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, section):
    part = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return part.render(context)
