-- TPC-DS Q1 (Appendix B.1): customers whose returns at a store in a given state, in a given
-- year, exceed the store's average customer return by more than 20%.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param STATE 'TN' ~ choice(vocab('store_states'))
-- @param AGG_FIELD 'sr_return_amt' ~ choice(['sr_return_amt', 'sr_fee', 'sr_refunded_cash', 'sr_return_amt_inc_tax', 'sr_reversed_charge', 'sr_store_credit', 'sr_return_tax'])
with returns_by_customer as (
    select
        sr_customer_sk as customer_sk,
        sr_store_sk as store_sk,
        sum(${AGG_FIELD}) as total_return
    from store_returns, date_dim
    where sr_returned_date_sk = d_date_sk
      and d_year = ${YEAR}
    group by sr_customer_sk, sr_store_sk
)
select c_customer_id
from returns_by_customer r1, store, customer
where r1.total_return > (
        select avg(r2.total_return) * 1.2
        from returns_by_customer r2
        where r2.store_sk = r1.store_sk
    )
  and s_store_sk = r1.store_sk
  and s_state = '${STATE}'
  and c_customer_sk = r1.customer_sk
order by c_customer_id
limit 100
