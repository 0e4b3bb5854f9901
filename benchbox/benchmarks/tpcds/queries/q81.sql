-- TPC-DS Q81 (Appendix B.81): customers living in a given state whose catalog returns in a given year
-- exceed by more than 20% the average customer return of returners from their (returning) state.
-- @param STATE 'GA' ~ choice(vocab('states'))
-- @param YEAR 2000 ~ uniform(1998, 2002)
with returns_by_customer as (
    select
        cr_returning_customer_sk as customer_sk,
        ca_state as state,
        sum(cr_return_amt_inc_tax) as total_return
    from catalog_returns, date_dim, customer_address
    where cr_returned_date_sk = d_date_sk
      and d_year = ${YEAR}
      and cr_returning_addr_sk = ca_address_sk
    group by cr_returning_customer_sk, ca_state
)
select
    c_customer_id,
    c_salutation,
    c_first_name,
    c_last_name,
    ca_street_number,
    ca_street_name,
    ca_street_type,
    ca_suite_number,
    ca_city,
    ca_county,
    ca_state,
    ca_zip,
    ca_country,
    ca_gmt_offset,
    ca_location_type,
    r1.total_return
from returns_by_customer r1, customer_address, customer
where r1.total_return > (
        select avg(r2.total_return) * 1.2
        from returns_by_customer r2
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
    ca_street_number,
    ca_street_name,
    ca_street_type,
    ca_suite_number,
    ca_city,
    ca_county,
    ca_state,
    ca_zip,
    ca_country,
    ca_gmt_offset,
    ca_location_type,
    r1.total_return
limit 100
