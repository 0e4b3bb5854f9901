-- TPC-DS Q35 (Appendix B.35): per state, gender, marital status and dependent counts, the number of
-- customers who bought in stores and through the web or the catalog in the first three quarters of a
-- year, with aggregates of their dependent, employed-dependent and college-dependent counts.
-- @param YEAR 2002 ~ uniform(1999, 2002)
-- @param AGGONE 'min' ~ choice(['sum', 'min', 'max', 'avg', 'stddev_samp'])
-- @param AGGTWO 'max' ~ choice(['sum', 'min', 'max', 'avg', 'stddev_samp'])
-- @param AGGTHREE 'avg' ~ choice(['sum', 'min', 'max', 'avg', 'stddev_samp'])
select
    ca_state,
    cd_gender,
    cd_marital_status,
    cd_dep_count,
    count(*) as cnt1,
    ${AGGONE}(cd_dep_count) as dep_agg1,
    ${AGGTWO}(cd_dep_count) as dep_agg2,
    ${AGGTHREE}(cd_dep_count) as dep_agg3,
    cd_dep_employed_count,
    count(*) as cnt2,
    ${AGGONE}(cd_dep_employed_count) as employed_agg1,
    ${AGGTWO}(cd_dep_employed_count) as employed_agg2,
    ${AGGTHREE}(cd_dep_employed_count) as employed_agg3,
    cd_dep_college_count,
    count(*) as cnt3,
    ${AGGONE}(cd_dep_college_count) as college_agg1,
    ${AGGTWO}(cd_dep_college_count) as college_agg2,
    ${AGGTHREE}(cd_dep_college_count) as college_agg3
from customer c, customer_address, customer_demographics
where c.c_current_addr_sk = ca_address_sk
  and cd_demo_sk = c.c_current_cdemo_sk
  and exists (
        select 1
        from store_sales, date_dim
        where ss_customer_sk = c.c_customer_sk
          and ss_sold_date_sk = d_date_sk
          and d_year = ${YEAR}
          and d_qoy < 4
    )
  and (
        exists (
            select 1
            from web_sales, date_dim
            where ws_bill_customer_sk = c.c_customer_sk
              and ws_sold_date_sk = d_date_sk
              and d_year = ${YEAR}
              and d_qoy < 4
        )
        or exists (
            select 1
            from catalog_sales, date_dim
            where cs_ship_customer_sk = c.c_customer_sk
              and cs_sold_date_sk = d_date_sk
              and d_year = ${YEAR}
              and d_qoy < 4
        )
    )
group by ca_state, cd_gender, cd_marital_status, cd_dep_count, cd_dep_employed_count, cd_dep_college_count
order by ca_state, cd_gender, cd_marital_status, cd_dep_count, cd_dep_employed_count, cd_dep_college_count
limit 100
