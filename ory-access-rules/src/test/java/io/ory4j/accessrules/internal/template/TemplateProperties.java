package io.ory4j.accessrules.internal.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TemplateProperties {

  @Property
  void renderWhenNoActionsThenTextUnchanged(@ForAll String text) {
    String t = text.replace("{{", "{");
    assertEquals(t, Template.parse(t).render(TemplateTest.session()));
  }

  @Provide
  Arbitrary<String> templateish() {
    return Arbitraries.strings().withChars("{}. |\"()$-abcdeSubjectExtraprintIndex0123").ofMaxLength(40);
  }

  @Property(tries = 2000)
  void parseWhenArbitraryInputThenOnlyTemplateExceptions(@ForAll("templateish") String source) {
    try {
      Template t = Template.parse(source);
      try {
        t.render(TemplateTest.session());
      } catch (TemplateException expected) {
        // a runtime template error is reported as such, never as another exception
      }
    } catch (TemplateException expected) {
      // refused at load with a message
    }
  }
}
