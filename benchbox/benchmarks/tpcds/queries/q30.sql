-- TPC-DS Q30 (Appendix B.30): customers living in a given state whose web returns in a year exceed by
-- more than 20% the average web return of customers returning from the same state.
-- @param YEAR 2002 ~ uniform(1999, 2002)
-- @param STATE 'GA' ~ choice(vocab('states'))
with web_returns_by_customer as (
    select
        wr_returning_customer_sk as customer_sk,
        ca_state as state,
        sum(wr_return_amt) as total_return
    from web_returns, date_dim, customer_address
    where wr_returned_date_sk = d_date_sk
      and d_year = ${YEAR}
      and wr_returning_addr_sk = ca_address_sk
    group by wr_returning_customer_sk, ca_state
)
select
    c_customer_id,
    c_salutation,
    c_first_name,
    c_last_name,
    c_preferred_cust_flag,
    c_birth_day,
    c_birth_month,
    c_birth_year,
    c_birth_country,
    c_login,
    c_email_address,
    c_last_review_date_sk,
    r1.total_return
from web_returns_by_customer r1, customer_address, customer
where r1.total_return > (
        select avg(r2.total_return) * 1.2
        from web_returns_by_customer r2
        where r2.state = r1.state
    )
  and ca_address_sk = c_current_addr_sk
  and ca_state = '${STATE}'
  and c_customer_sk = r1.customer_sk
order by
    c_customer_id,
    c_salutation,
    c_first_name,
    c_last_name,
    c_preferred_cust_flag,
    c_birth_day,
    c_birth_month,
    c_birth_year,
    c_birth_country,
    c_login,
    c_email_address,
    c_last_review_date_sk,
    r1.total_return
limit 100
