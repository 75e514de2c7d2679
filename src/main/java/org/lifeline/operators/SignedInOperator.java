package org.lifeline.operators;

import java.util.Optional;
import java.util.UUID;

import org.lifeline.privacy.CurrentActor;
import org.springframework.stereotype.Component;

/** The signed-in operator as the access record's actor. */
@Component
class SignedInOperator implements CurrentActor {

    @Override
    public Optional<UUID> id() {
        return OperatorAuthentication.current().map(operator -> operator.id().value());
    }
}
