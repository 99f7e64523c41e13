/**
 * Recovery coordinator: turns a recovery request into a plan of ordered steps with compensations
 * and drives it as a saga over Kafka. Not built yet (see the recovery-coordinator issue); restores
 * today run through {@code lifeboat restore}, straight from the repository.
 */
package io.lifeboat.recovery;
