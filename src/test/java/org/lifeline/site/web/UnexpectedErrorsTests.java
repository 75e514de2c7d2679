package org.lifeline.site.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;

class UnexpectedErrorsTests {

    final UnexpectedErrors errors = new UnexpectedErrors();

    @Test
    void describesAnExceptionByTypesAndFramesWithoutItsMessages() {
        var exception = new IllegalStateException("Иванов Иван",
                new NumberFormatException("For input string: \"+7 916 123-45-67\""));

        var described = UnexpectedErrors.describe(exception);

        assertThat(described).contains(IllegalStateException.class.getName(), NumberFormatException.class.getName(),
                "UnexpectedErrorsTests").doesNotContain("Иванов", "916");
    }

    @Test
    void answersTheRequestWithAPlainErrorButLeavesAccessDecisionsToSecurity() {
        var response = new MockHttpServletResponse();
        assertThat(errors.resolveException(new MockHttpServletRequest(), response, null,
                new IllegalArgumentException("x"))).isNotNull();
        assertThat(response.getStatus()).isEqualTo(500);

        assertThat(errors.resolveException(new MockHttpServletRequest(), new MockHttpServletResponse(), null,
                new AccessDeniedException("no"))).isNull();
    }
}
