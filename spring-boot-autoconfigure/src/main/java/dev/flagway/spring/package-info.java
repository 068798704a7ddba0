/**
 * What a Spring application uses: {@link dev.flagway.spring.FlagwayRepository @FlagwayRepository},
 * {@link dev.flagway.spring.Legacy @Legacy} and {@link dev.flagway.spring.Modern @Modern}, and
 * {@link dev.flagway.spring.SpringTransactionRunner}, which runs dual writes in Spring's transactions
 * (also without Spring Boot).
 */
package dev.flagway.spring;
