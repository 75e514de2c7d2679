package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Repositories are called directly: no proxy translating exceptions stands between a caller and its statements
 * (JdbcClient and JdbcTemplate translate SQL exceptions themselves; {@code ArchitectureTests} keeps repositories on
 * them). A repository with transactional methods keeps the transactions' proxy.
 */
@PersistenceTest
@SpringBootTest(classes = LifelineApplication.class)
class RepositoriesIntegrationTests {

    @Autowired
    ApplicationContext context;

    @Test
    void repositoriesWithoutTransactionsOfTheirOwnAreNotProxied() {
        var repositories = context.getBeansWithAnnotation(Repository.class);
        var plain = repositories.values().stream()
                .filter(bean -> Arrays.stream(AopUtils.getTargetClass(bean).getDeclaredMethods())
                        .noneMatch(method -> AnnotatedElementUtils.hasAnnotation(method, Transactional.class)))
                .toList();
        assertThat(plain).as("the repositories of the hot paths").hasSizeGreaterThan(10);
        assertThat(plain).noneMatch(AopUtils::isAopProxy);
    }
}
